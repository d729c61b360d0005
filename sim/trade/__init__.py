"""Trade: shipments and the ledger (`shipments`), the order book (`orders`), prices
(`market`), China's own balance (`china`), spot purchases (`spot`), substitution and
recycling (`substitution`) and demand paths (`demand`). Core."""
