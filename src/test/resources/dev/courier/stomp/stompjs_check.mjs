// stompjs (as a browser page uses it) against Courier's /stomp: subscribe, publish with receipt, ack.
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';
const url = process.argv[2];
const client = new Client({
  webSocketFactory: () => new WebSocket(url, ['v10.stomp', 'v11.stomp', 'v12.stomp']),
  reconnectDelay: 0, heartbeatIncoming: 1000, heartbeatOutgoing: 1000,
});
const fail = (why) => { console.log('FAIL ' + why); process.exit(1); };
setTimeout(() => fail('timeout'), 10000);
client.onStompError = (f) => fail('ERROR ' + f.headers.message);
client.onConnect = (frame) => {
  console.log('connected version=' + frame.headers.version + ' heart-beat=' + frame.headers['heart-beat']);
  client.subscribe('/queue/js', (m) => {
    console.log('message body=' + m.body + ' redelivered=' + m.headers.redelivered + ' bytes=' + m.binaryBody.length);
    m.ack();
    client.deactivate().then(() => { console.log('deactivated (DISCONNECT answered)'); console.log('OK'); process.exit(0); });
  }, { ack: 'client-individual' });
  client.watchForReceipt('r1', () => console.log('send receipt r1'));
  client.publish({ destination: '/queue/js', body: 'hello from stompjs', headers: { receipt: 'r1', 'content-type': 'text/plain' } });
};
client.activate();
