"""Yibao Gateway: a simulation of the national medical-insurance settlement platform."""
