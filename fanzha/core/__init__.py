"""The bottom layer every other part may import: the data home (`paths`), user errors (`errors`),
SQL literal quoting (`sql`), number/date formatting (`fmt`) and the read API of the published warehouse
(`read_api`). Nothing here imports another fanzha package."""
