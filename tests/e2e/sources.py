"""The generated source exports and the shipped mapping for each (shared by the e2e tests)."""
SOURCES = [  # (file under the generated folder, mapping)
    ("border/crossings.csv", "mappings/border.yml"),
    ("cases/cases.json", "mappings/cases.yml"),
    ("vehicles/registry.csv", "mappings/vehicles.yml"),
    ("wanted/wanted.ndjson", "mappings/wanted.yml"),
    ("fiu/accounts.csv", "mappings/fiu-accounts.yml"),
    ("fiu/transactions.csv", "mappings/fiu-transactions.yml"),
]
