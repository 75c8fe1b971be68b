"""The stack configuration a Wire operator writes, and every rule it must follow.

One pydantic model, `StackConfig` (stack.py), composes a model per section of Wire's guide
"Infrastructure configuration options" (one module each, holding its models and rules). It is read
once (in `__main__.py`, or by the offline plan) from the `wire:` namespace of a `Pulumi.<stack>.yaml`
by `load_config` (loading.py); keys are camelCase. Secret handling is in secrets.py, the error in
errors.py. Nothing here imports Pulumi, nor `components.naming` (names derive from the configuration).

This package re-exports what code elsewhere imports from `components.config`.
"""

from components.config.base import PLACEHOLDER
from components.config.charts import ChartSource
from components.config.dns import LoadBalancerTarget, WireHost
from components.config.email import EmailMode
from components.config.errors import ConfigError
from components.config.identity import CredentialsMode
from components.config.ingress import IngressMode
from components.config.loading import NAMESPACE, LoadedConfig, load_config
from components.config.push import PushMode
from components.config.secrets import required_secrets
from components.config.stack import StackConfig

__all__ = [
    "NAMESPACE",
    "PLACEHOLDER",
    "ChartSource",
    "ConfigError",
    "CredentialsMode",
    "EmailMode",
    "IngressMode",
    "LoadBalancerTarget",
    "LoadedConfig",
    "PushMode",
    "StackConfig",
    "WireHost",
    "load_config",
    "required_secrets",
]
