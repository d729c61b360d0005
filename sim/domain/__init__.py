"""What the model speaks of, with no behaviour: products and elements (`products`), the
working-day calendar (`calendar`), user errors (`errors`) and the vocabularies (`vocab`)."""
