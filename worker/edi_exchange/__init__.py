"""EDI exchange: read received files onto the domain operations, write acks and orders."""
