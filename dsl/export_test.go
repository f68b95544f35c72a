package dsl

// The kind tables' labels, for the conformance test in package dsl_test.
var (
	AuthKindNames = kindNamesOf(authKinds)
	PageKindNames = kindNamesOf(pageKinds)
)
