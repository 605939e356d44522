"""``python -m eval`` is ``python -m eval.numeric``."""
from eval.numeric import main

raise SystemExit(main())
