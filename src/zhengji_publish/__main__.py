"""Allow ``python -m zhengji_publish``."""

from zhengji_publish.cli import main

raise SystemExit(main())
