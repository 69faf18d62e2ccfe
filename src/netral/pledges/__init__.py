"""Neutrality pledges: the campaign, online and paper signatures, the joint declaration."""
