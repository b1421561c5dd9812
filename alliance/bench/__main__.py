import sys

from alliance.bench.run import main

sys.exit(main())
