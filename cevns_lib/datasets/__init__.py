"""Released datasets analysed with the library, one sub-package per experiment (XENONnT solar 8B: :mod:`.xenonnt`)."""

__all__ = []
