"""The Scrapy project of Bulletin Watch: settings, spiders, pipelines, sources."""

import os

# Scrapy's cookie middleware asks tldextract for public suffixes, which by
# default downloads the list from the internet on first use. The snapshot that
# ships with tldextract is enough, and a crawler should contact only the sites
# it crawls.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
