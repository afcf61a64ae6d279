// kafkajs transactions against a Gregor broker, run by KafkajsCompatibilityTest:
//   node kafkajs-transactions.js <bootstrap> <topic> <group>
// kafkajs speaks the original transaction protocol (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
// TxnOffsetCommit at its own versions). It creates <topic> (2 partitions), commits a transaction
// of 4 records that also commits offset 7 of <topic> partition 0 for <group>, aborts one of 4
// records with offset 9, and commits a last one of 2 records. The Java test reads the topic back
// read_committed and the group's offsets.
//
// It prints one fact per line ("committed 1", "aborted 2") and one "request <api> v<version>" line
// per API and version kafkajs sent. Any error exits 1.
const { Kafka, Partitioners, logLevel } = require('kafkajs')

const [bootstrap, topic, group] = process.argv.slice(2)

const requestsSent = new Set()
const REQUEST_LOG = /^Request (\w+)\(key: \d+, version: (\d+)\)$/

const logCreator = () => ({ level, log }) => {
  const sent = REQUEST_LOG.exec(log.message)
  if (sent) {
    requestsSent.add(`request ${sent[1]} v${sent[2]}`)
  } else if (level <= logLevel.WARN) {
    console.error(`kafkajs: ${log.message} ${JSON.stringify(log)}`)
  }
}

const kafka = new Kafka({
  clientId: 'gregor-kafkajs-transactions',
  brokers: [bootstrap],
  logLevel: logLevel.DEBUG,
  logCreator,
})

function messages(label, count) {
  return Array.from({ length: count }, (_, i) => ({ key: `${label}-${i}`, value: `${label}-${i}`, partition: i % 2 }))
}

async function transaction(producer, label, count, offset, commit) {
  const txn = await producer.transaction()
  await txn.send({ topic, messages: messages(label, count) })
  await txn.sendOffsets({
    consumerGroupId: group,
    topics: [{ topic, partitions: [{ partition: 0, offset: String(offset) }] }],
  })
  if (commit) {
    await txn.commit()
  } else {
    await txn.abort()
  }
  console.log(`${commit ? 'committed' : 'aborted'} ${label}`)
}

async function main() {
  const admin = kafka.admin()
  await admin.connect()
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })
  await admin.disconnect()

  const producer = kafka.producer({
    transactionalId: `${topic}-writer`,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  })
  await producer.connect()
  await transaction(producer, 'first', 4, 7, true)
  await transaction(producer, 'second', 4, 9, false)
  const txn = await producer.transaction()
  await txn.send({ topic, messages: messages('third', 2) })
  await txn.commit()
  console.log('committed third')
  await producer.disconnect()

  for (const line of [...requestsSent].sort()) {
    console.log(line)
  }
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
