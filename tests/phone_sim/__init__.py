"""Tests of the simulated phone (phone_sim): its command lines, transport and timestamp."""
