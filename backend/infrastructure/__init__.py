"""Infrastructure: the product's adapters to the world outside its rows. The WeChat adapter and
the outbox dispatcher that sends through it, signed tokens, rate limits, the encryption and
masking of personal data, and the audit log's session hook."""
