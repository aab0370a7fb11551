package qreval

// Test helpers for the external test package qreval_test.
var (
	DatasetsDir = datasetsDir
	ShortName   = shortName
)
