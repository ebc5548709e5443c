"""Order notification function: SQS FIFO batches of order events -> SES e-mail or SNS SMS."""
