// kafkajs against a Gregor broker, run by KafkajsCompatibilityTest:
//   node kafkajs-compat.js <bootstrap> <topic> <base timestamp ms>
// It creates <topic> (2 partitions) and a throwaway topic it grows and deletes again, produces 10
// keyed records uncompressed, 10 with GZIP and 10 from an idempotent producer, reads the topic's
// config and its offsets (latest, earliest, by timestamp) through the admin client, and fetches everything back through kafkajs's own broker connection: the
// kafkajs consumer needs a consumer group, which Gregor does not serve yet.
//
// It prints one fact per line for the Java test to check ("created true", "fetched ..."), plus
// one "request <api> v<version>" line per API and version kafkajs sent. Any error exits 1.
const { Kafka, CompressionTypes, ConfigResourceTypes, Partitioners, logLevel } = require('kafkajs')

const [bootstrap, topic, baseTimestampArg] = process.argv.slice(2)
const baseTimestamp = Number(baseTimestampArg)
const throwawayTopic = `${topic}-throwaway`
const RECORDS_PER_CODEC = 10
const CODECS = ['none', 'gzip', 'idempotent']

const requestsSent = new Set()
const REQUEST_LOG = /^Request (\w+)\(key: \d+, version: (\d+)\)$/

// kafkajs logs every request it sends at debug level: record the API versions, pass warnings on.
const logCreator = () => ({ level, log }) => {
  const sent = REQUEST_LOG.exec(log.message)
  if (sent) {
    requestsSent.add(`request ${sent[1]} v${sent[2]}`)
  } else if (level <= logLevel.WARN) {
    console.error(`kafkajs: ${log.message} ${JSON.stringify(log)}`)
  }
}

const kafka = new Kafka({
  clientId: 'gregor-kafkajs-compat',
  brokers: [bootstrap],
  logLevel: logLevel.DEBUG,
  logCreator,
  retry: { retries: 3 },
})

function keyedMessages(codec, firstTimestamp) {
  return Array.from({ length: RECORDS_PER_CODEC }, (_, i) => ({
    key: `${codec}-key-${i}`,
    value: `${codec}-value-${i}`,
    timestamp: String(firstTimestamp + i),
    headers: { codec },
  }))
}

function printOffsets(label, offsets) {
  for (const o of [...offsets].sort((a, b) => a.partition - b.partition)) {
    console.log(`${label} partition=${o.partition} ${Object.entries(o)
      .filter(([name]) => name !== 'partition')
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')}`)
  }
}

// The cluster object kafkajs builds for its producer, consumer and admin clients; used here to
// send Fetch requests without a consumer group.
function newCluster() {
  const createCluster = Object.getOwnPropertySymbols(kafka)
    .find(symbol => symbol.description === 'private:Kafka:createCluster')
  return kafka[createCluster]({ allowAutoTopicCreation: false })
}

async function fetchAll(cluster, partitions) {
  await cluster.connect()
  await cluster.addTargetTopic(topic)
  const leaders = cluster.findLeaderForPartitions(topic, partitions)
  for (const [nodeId, leaderPartitions] of Object.entries(leaders)) {
    const broker = await cluster.findBroker({ nodeId })
    const { responses } = await broker.fetch({
      isolationLevel: 1, // READ_COMMITTED, the kafkajs consumer's default
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 10 * 1024 * 1024,
      topics: [{
        topic,
        partitions: leaderPartitions.map(partition => ({ partition, fetchOffset: '0', maxBytes: 1024 * 1024 })),
      }],
    })
    for (const { partitions: fetched } of responses) {
      for (const p of fetched.sort((a, b) => a.partition - b.partition)) {
        console.log(`fetch-partition partition=${p.partition} error=${p.errorCode} highWatermark=${p.highWatermark}`)
        for (const m of p.messages) {
          const headers = Object.entries(m.headers).map(([k, v]) => `${k}:${v}`).join(',')
          console.log(`fetched partition=${p.partition} offset=${m.offset} key=${m.key} value=${m.value} ` +
            `timestamp=${m.timestamp} headers=${headers}`)
        }
      }
    }
  }
}

async function main() {
  const admin = kafka.admin()
  const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner })
  const idempotentProducer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  })
  const cluster = newCluster()
  try {
    await admin.connect()
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '86400000' }] },
        { topic: throwawayTopic, numPartitions: 1 },
      ],
    })
    console.log(`created ${created}`)
    console.log(`created-again ${await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] })}`)

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] })
    for (const t of metadata.topics) {
      console.log(`metadata topic=${t.name} partitions=${t.partitions.length}`)
    }
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
    })
    for (const entry of resources[0].configEntries) {
      console.log(`config ${entry.configName}=${entry.configValue}`)
    }

    await producer.connect()
    await idempotentProducer.connect()
    for (const [codec, client, compression, acks] of [
      ['none', producer, CompressionTypes.None, 1],
      ['gzip', producer, CompressionTypes.GZIP, -1],
      ['idempotent', idempotentProducer, CompressionTypes.None, -1],
    ]) {
      const firstTimestamp = baseTimestamp + RECORDS_PER_CODEC * CODECS.indexOf(codec)
      const results = await client.send({ topic, acks, compression, messages: keyedMessages(codec, firstTimestamp) })
      for (const r of results.sort((a, b) => a.partition - b.partition)) {
        console.log(`produced codec=${codec} partition=${r.partition} error=${r.errorCode} baseOffset=${r.baseOffset}`)
      }
    }

    printOffsets('offsets', (await admin.fetchTopicOffsets(topic)))
    printOffsets('offsets-by-timestamp',
      await admin.fetchTopicOffsetsByTimestamp(topic, baseTimestamp + RECORDS_PER_CODEC))
    printOffsets('offsets-after-last-timestamp',
      await admin.fetchTopicOffsetsByTimestamp(topic, baseTimestamp + RECORDS_PER_CODEC * CODECS.length))

    await fetchAll(cluster, [0, 1])

    await admin.createPartitions({ topicPartitions: [{ topic: throwawayTopic, count: 3 }] })
    const grown = await admin.fetchTopicMetadata({ topics: [throwawayTopic] })
    console.log(`grown partitions=${grown.topics[0].partitions.length}`)
    await admin.deleteTopics({ topics: [throwawayTopic] })
    const remaining = await admin.listTopics()
    console.log(`listed topic=${remaining.includes(topic)} throwaway=${remaining.includes(throwawayTopic)}`)
  } finally {
    await producer.disconnect()
    await idempotentProducer.disconnect()
    await cluster.disconnect()
    await admin.disconnect()
  }
  for (const request of [...requestsSent].sort()) {
    console.log(request)
  }
}

main().catch(error => {
  console.error(`kafkajs-compat failed: ${error.stack}`)
  for (const request of [...requestsSent].sort()) {
    console.error(request)
  }
  process.exit(1)
})
