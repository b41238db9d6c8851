package store

// TuneSearch sets PostgreSQL's search buckets and the number of documents
// above which a prefix is checked row by row instead of gathered by GIN,
// so that a test with a few candidates reaches every path a search with
// millions takes. It does nothing on SQLite. Bucket sizes apply to
// documents written afterwards.
func TuneSearch(db *DB, fineBucket, coarseBucket int64, maxPrefixRows float64) {
	if _, ok := db.dialect.(postgresDialect); ok {
		db.dialect = postgresDialect{tuning: &pgSearch{fineBucket: fineBucket, coarseBucket: coarseBucket, maxPrefixRows: maxPrefixRows}}
	}
}
