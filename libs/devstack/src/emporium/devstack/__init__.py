"""Emporium's local stack: embedded PostgreSQL plus every service as a process."""

from emporium.devstack.components import COMPONENTS, Component
from emporium.devstack.config import StackConfig
from emporium.devstack.stack import Stack, StackError

__all__ = ["COMPONENTS", "Component", "Stack", "StackConfig", "StackError"]
