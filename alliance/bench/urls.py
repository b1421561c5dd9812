"""The site's URLs and, under /stock/, the stock baseline (bench settings only)."""

from django.urls import include, path

from alliance.bench import stock
from alliance.urls import urlpatterns as site

urlpatterns = [path("stock/", include(stock.urlpatterns)), *site]
