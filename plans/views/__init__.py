"""Pages of the child's plan. Every view loads the child and the plan through the access policy."""
