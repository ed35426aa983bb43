"""Running under limits: budgets in forked children, the snippet sandbox, atomic writes, memos."""
