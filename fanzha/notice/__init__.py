"""The ranked monthly notice (排名式通报): load it from the warehouse, render it (XLSX, DOCX, HTML),
and issue it as frozen, numbered revisions under $FANZHA_HOME/notices/YYYY-MM/.

    data = load_notice_data(reader, month, "all")      # fanzha.notice.data
    blob = render(data, "xlsx")                          # fanzha.notice.render (CLI and dashboard)
    results = issue_notices(home, reader, month, ...)    # fanzha.notice.issue
    revisions(home.notices, month)                       # fanzha.notice.archive: the issued revisions, read back
"""
