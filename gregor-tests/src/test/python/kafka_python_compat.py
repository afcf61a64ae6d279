"""kafka-python (Debian's python3-kafka) against a Gregor broker, run by KafkaPythonCompatibilityTest:

    python3 kafka_python_compat.py <bootstrap> <topic> <base timestamp ms>

Creates <topic> with 2 partitions, produces 10 keyed records uncompressed and 10 with gzip,
lists topics and offsets, and consumes everything back with partitions assigned by hand (no
consumer group). Prints one fact per line for the Java test to check, plus one
"request <api> v<version>" line per API and version kafka-python sent; any error exits 1.
"""
import logging
import re
import sys

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

RECORDS_PER_CODEC = 10
CODECS = [None, "gzip"]
PARTITIONS = 2


class SentRequests(logging.Handler):
    """Collects the API and version of every request, from kafka-python's connection debug log."""
    REQUEST_LOG = re.compile(r"Request \d+: (\w+)Request_v(\d+)\(")

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.sent = set()

    def emit(self, record):
        match = self.REQUEST_LOG.search(record.getMessage())
        if match:
            self.sent.add(f"request {match.group(1)} v{match.group(2)}")


def codec_name(codec):
    return codec or "none"


def main(bootstrap, topic, base_timestamp):
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="gregor-kafka-python-compat")
    try:
        response = admin.create_topics([NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)])
        errors = [error_code for (_, error_code, *_rest) in response.topic_errors]
        print(f"created errors={errors}")
        print(f"api_version {'.'.join(map(str, admin.config['api_version']))}")
    finally:
        admin.close()

    expected = 0
    for index, codec in enumerate(CODECS):
        producer = KafkaProducer(bootstrap_servers=bootstrap, compression_type=codec, acks="all", linger_ms=5)
        try:
            futures = []
            for i in range(RECORDS_PER_CODEC):
                name = codec_name(codec)
                futures.append(producer.send(
                    topic,
                    key=f"{name}-key-{i}".encode(),
                    value=f"{name}-value-{i}".encode(),
                    headers=[("codec", name.encode())],
                    timestamp_ms=base_timestamp + index * RECORDS_PER_CODEC + i))
            producer.flush()
            for future in futures:
                future.get(timeout=30)
            expected += len(futures)
            print(f"produced codec={codec_name(codec)} records={len(futures)}")
        finally:
            producer.close()

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             auto_offset_reset="earliest", consumer_timeout_ms=10_000)
    try:
        print(f"listed topic={topic in consumer.topics()}")
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
        print(f"partitions {len(partitions)}")
        for tp, offset in sorted(consumer.end_offsets(partitions).items()):
            print(f"end-offset partition={tp.partition} offset={offset}")
        for tp, offset in sorted(consumer.beginning_offsets(partitions).items()):
            print(f"beginning-offset partition={tp.partition} offset={offset}")
        by_time = consumer.offsets_for_times({tp: base_timestamp + RECORDS_PER_CODEC for tp in partitions})
        for tp, found in sorted(by_time.items()):
            print(f"offset-for-time partition={tp.partition} offset={found.offset} timestamp={found.timestamp}")

        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        consumed = []
        for record in consumer:
            consumed.append(record)
            if len(consumed) == expected:
                break
        for r in sorted(consumed, key=lambda r: (r.partition, r.offset)):
            headers = ",".join(f"{k}:{v.decode()}" for k, v in r.headers)
            print(f"fetched partition={r.partition} offset={r.offset} key={r.key.decode()} "
                  f"value={r.value.decode()} timestamp={r.timestamp} headers={headers}")
    finally:
        consumer.close()


if __name__ == "__main__":
    sent_requests = SentRequests()
    connection_log = logging.getLogger("kafka.conn")
    connection_log.setLevel(logging.DEBUG)
    connection_log.addHandler(sent_requests)
    try:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    finally:
        for request in sorted(sent_requests.sent):
            print(request)
