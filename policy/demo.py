"""Demo content for the policy: the school's policy, loaded once."""

from policy.services import policy_load_from_file


def load_demo(*, stdout) -> None:
    """Load the school's policy as version 1 (idempotent: nothing changes the second time)."""
    version, created = policy_load_from_file()
    if stdout is not None:
        state = "loaded" if created else "already loaded"
        stdout.write(f"Social Media Policy: version {version.number} {state}.")
