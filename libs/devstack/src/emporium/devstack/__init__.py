"""Emporium's local stack: embedded PostgreSQL plus every service as a process."""

from emporium.devstack.components import COMPONENTS, Component
from emporium.devstack.stack import Stack, StackConfig, StackError

__all__ = ["COMPONENTS", "Component", "Stack", "StackConfig", "StackError"]
