"""Testing: rapid and lab tests, devices and their upload API, technicians, self-test plans."""
