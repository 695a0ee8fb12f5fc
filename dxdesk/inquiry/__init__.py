"""全庁照会: any Excel form the office already uses — analysed into input areas, distributed to every section,
collected with the same intake as the progress round, checked with the V rules, and merged."""
