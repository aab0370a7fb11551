package importer

// jsonChecker checks JSON syntax in one pass over the bytes. It does the
// job of json.Valid but reports where and what the first error is, and
// runs without the per-byte indirect calls of encoding/json's scanner,
// which are slow under WebAssembly.
type jsonChecker struct {
	data []byte
	i    int
}

// maxJSONDepth bounds nesting, as encoding/json does.
const maxJSONDepth = 10000

// checkJSON returns the byte offset and description of the first syntax
// error in data, or ok.
func checkJSON(data []byte) (off int, msg string, ok bool) {
	c := &jsonChecker{data: data}
	c.space()
	if msg = c.value(0); msg == "" {
		c.space()
		if c.i < len(data) {
			msg = "unexpected data after the end of the JSON document"
		}
	}
	return c.i, msg, msg == ""
}

func (c *jsonChecker) space() {
	for c.i < len(c.data) {
		switch c.data[c.i] {
		case ' ', '\t', '\r', '\n':
			c.i++
		default:
			return
		}
	}
}

// errEnd is the message for input that stops inside a value.
const errEnd = "the input ends before the value is complete"

// value checks one value starting at c.i (white space already skipped).
func (c *jsonChecker) value(depth int) string {
	if c.i >= len(c.data) {
		return errEnd
	}
	switch b := c.data[c.i]; {
	case b == '{' || b == '[':
		if depth >= maxJSONDepth {
			return "nested too deeply"
		}
		return c.container(b, depth)
	case b == '"':
		return c.string()
	case b == 't':
		return c.literal("true")
	case b == 'f':
		return c.literal("false")
	case b == 'n':
		return c.literal("null")
	case b == '-' || b >= '0' && b <= '9':
		return c.number()
	}
	return "expected a JSON value, found " + c.found()
}

// container checks an object or array; the opening bracket is at c.i.
func (c *jsonChecker) container(open byte, depth int) string {
	close, what := byte(']'), "array element"
	if open == '{' {
		close, what = '}', "object member"
	}
	c.i++
	c.space()
	if c.i < len(c.data) && c.data[c.i] == close {
		c.i++
		return ""
	}
	for {
		if open == '{' {
			if c.i >= len(c.data) {
				return errEnd
			}
			if c.data[c.i] != '"' {
				return "expected a member name in quotes, found " + c.found()
			}
			if msg := c.string(); msg != "" {
				return msg
			}
			c.space()
			if c.i >= len(c.data) {
				return errEnd
			}
			if c.data[c.i] != ':' {
				return "expected ':' after the member name, found " + c.found()
			}
			c.i++
			c.space()
		}
		if msg := c.value(depth + 1); msg != "" {
			return msg
		}
		c.space()
		if c.i >= len(c.data) {
			return errEnd
		}
		switch c.data[c.i] {
		case ',':
			c.i++
			c.space()
		case close:
			c.i++
			return ""
		default:
			return "expected ',' or '" + string(close) + "' after an " + what + ", found " + c.found()
		}
	}
}

// string checks a string literal; the opening quote is at c.i.
func (c *jsonChecker) string() string {
	for c.i++; c.i < len(c.data); c.i++ {
		switch b := c.data[c.i]; {
		case b == '"':
			c.i++
			return ""
		case b == '\\':
			c.i++
			if c.i >= len(c.data) {
				return errEnd
			}
			switch c.data[c.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 0; k < 4; k++ {
					c.i++
					if c.i >= len(c.data) {
						return errEnd
					}
					if !isHex(c.data[c.i]) {
						return "invalid \\u escape in a string"
					}
				}
			default:
				return "invalid escape \\" + string(c.data[c.i]) + " in a string"
			}
		case b < 0x20:
			return "control character in a string (it must be escaped)"
		}
	}
	return errEnd
}

func isHex(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F'
}

func (c *jsonChecker) literal(word string) string {
	for k := 0; k < len(word); k++ {
		if c.i >= len(c.data) {
			return errEnd
		}
		if c.data[c.i] != word[k] {
			return "expected a JSON value, found " + c.found()
		}
		c.i++
	}
	return ""
}

// number checks -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (c *jsonChecker) number() string {
	if c.data[c.i] == '-' {
		c.i++
	}
	if !c.digits(false) {
		return "invalid number"
	}
	if c.i < len(c.data) && c.data[c.i] == '.' {
		c.i++
		if !c.digits(true) {
			return "invalid number: digits expected after '.'"
		}
	}
	if c.i < len(c.data) && (c.data[c.i] == 'e' || c.data[c.i] == 'E') {
		c.i++
		if c.i < len(c.data) && (c.data[c.i] == '+' || c.data[c.i] == '-') {
			c.i++
		}
		if !c.digits(true) {
			return "invalid number: digits expected in the exponent"
		}
	}
	return ""
}

// digits consumes a run of digits; without leadingZero a run starting
// with 0 must be just "0".
func (c *jsonChecker) digits(leadingZero bool) bool {
	start := c.i
	for c.i < len(c.data) && c.data[c.i] >= '0' && c.data[c.i] <= '9' {
		c.i++
	}
	if c.i == start {
		return false
	}
	return leadingZero || c.data[start] != '0' || c.i-start == 1
}

// found describes the byte at c.i for an error message.
func (c *jsonChecker) found() string {
	if c.i >= len(c.data) {
		return "the end of the input"
	}
	b := c.data[c.i]
	if b < 0x20 || b >= 0x7f {
		return "byte 0x" + hexByte(b)
	}
	return "'" + string(b) + "'"
}

func hexByte(b byte) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[b>>4], digits[b&15]})
}
