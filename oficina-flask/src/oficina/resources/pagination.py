"""Page arguments shared by every collection (flask-smorest's X-Pagination header)."""

PAGINATE = {"page_size": 20, "max_page_size": 100}
