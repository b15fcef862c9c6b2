"""Proposed changes for a spec: built from codegen output or the plan, guarded against protected
paths, stored with diff and evidence, and decided by a named human with an audit trail."""
