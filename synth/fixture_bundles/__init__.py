"""The hand-built fixture bundles (fixtures/make_fixtures.py writes them): a realistic compliant 2021
cohort, the same with every rule broken deliberately, and two small cohort bundles."""
