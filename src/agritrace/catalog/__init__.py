"""Products, designations and certifications, production standards and training."""
