"""Orders: parts, purchase orders, phone progress reports, ship notices, consumption, receipts."""
