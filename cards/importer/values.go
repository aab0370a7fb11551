package importer

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// parsePoints reads a story-point estimate: "3", "0.5" or "0,5". Values
// that are not finite non-negative numbers are refused.
func parsePoints(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || !strings.ContainsAny(s[:1], "0123456789.+") {
		return 0, false // not a number: refused without building an error
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, false
	}
	return f, true
}

// monthNames maps month names and abbreviations as Jira writes them in
// English and French dates ("10/Oct/16", "10/oct./16", "06/août/15") to
// month numbers. Keys are lower case without the trailing dot.
var monthNames = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"janv": 1, "févr": 2, "fevr": 2, "fév": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6,
	"juil": 7, "août": 8, "aout": 8, "déc": 12, "janvier": 1, "février": 2,
	"avril": 4, "juillet": 7, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}

// isoLayouts are the machine date forms trackers write.
var isoLayouts = []string{
	"2006-01-02",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000-0700", // Jira REST
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05.000",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
}

// jiraLayouts are Jira's CSV date forms once the month name is replaced
// by its number (day/month/year, two- or four-digit year).
var jiraLayouts = []string{
	"2/1/06 3:04 PM", "2/1/06 15:04", "2/1/06",
	"2/1/2006 3:04 PM", "2/1/2006 15:04", "2/1/2006",
}

// parseDate reads a date as trackers write it: ISO forms, and Jira's
// "dd/Mon/yy[ h:mm AM]" with English or French month names. Times without
// a zone are taken as UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	parts := strings.SplitN(s, "/", 3)
	if len(parts) != 3 {
		return time.Time{}, false
	}
	m, ok := monthNames[strings.TrimSuffix(strings.ToLower(parts[1]), ".")]
	if !ok {
		return time.Time{}, false
	}
	norm := parts[0] + "/" + strconv.Itoa(int(m)) + "/" + strings.ToUpper(parts[2])
	for _, l := range jiraLayouts {
		if t, err := time.Parse(l, norm); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
