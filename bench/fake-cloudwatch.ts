// Stands in for CloudWatch during `make bench`, so the apps' metric flushes run their whole path (the AWS SDK
// signs and sends PutMetricData) without AWS. Counts what arrives; GET /stats tells them, GET /health answers ok.
// Speaks the JSON 1.0 protocol that @aws-sdk/client-cloudwatch uses.
let putMetricDataCalls = 0
let metricData = 0

const server = Bun.serve({
  port: Number(process.env.PORT ?? 4566),
  hostname: '127.0.0.1',
  async fetch(request) {
    const { pathname } = new URL(request.url)
    if (request.method === 'GET' && pathname === '/health') return Response.json({ status: 'ok' })
    if (request.method === 'GET' && pathname === '/stats') {
      return new Response(`${putMetricDataCalls} PutMetricData calls carrying ${metricData} metrics`)
    }
    const body = (await request.json().catch(() => ({}))) as { MetricData?: unknown[] }
    if (request.headers.get('x-amz-target')?.endsWith('.PutMetricData')) {
      putMetricDataCalls += 1
      metricData += body.MetricData?.length ?? 0
    }
    return new Response('{}', { headers: { 'content-type': 'application/x-amz-json-1.0' } })
  },
})

process.on('SIGTERM', async () => {
  await server.stop()
  process.exit(0)
})
