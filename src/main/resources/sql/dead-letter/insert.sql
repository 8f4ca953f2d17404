-- One dead letter. Body = the row of deadLetters.row(...): :#flow, :#reason, :#source, :#payload, :#ref, :#attempts
INSERT INTO dead_letter (flow, reason, source_address, payload, payload_ref, attempts)
VALUES (:#flow, :#reason, :#source, :#payload, :#ref, :#attempts)
