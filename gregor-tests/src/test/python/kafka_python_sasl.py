"""kafka-python over a SASL_PLAINTEXT listener: authenticate, produce three records, read them back.

kafka-python 2.0 sends SaslHandshake v0 and then the mechanism's messages as bare frames, the
path Kafka's own clients no longer take. Usage: kafka_python_sasl.py BOOTSTRAP MECHANISM USER PASSWORD TOPIC
"""
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, mechanism, user, password, topic = sys.argv[1:6]
security = dict(bootstrap_servers=bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
                sasl_plain_username=user, sasl_plain_password=password, api_version_auto_timeout_ms=30000)

producer = KafkaProducer(**security)
for i in range(3):
    producer.send(topic, key=b"k%d" % i, value=b"v%d" % i).get(timeout=30)
producer.close()
print("produced 3")

consumer = KafkaConsumer(consumer_timeout_ms=10000, **security)
partition = TopicPartition(topic, 0)
consumer.assign([partition])
consumer.seek_to_beginning(partition)
for message in consumer:
    print("consumed %s=%s" % (message.key.decode(), message.value.decode()))
    if message.offset >= 2:
        break
consumer.close()
