"""The HTTP layer the blueprints share: templating, security, errors, forms, auth, loaders."""
