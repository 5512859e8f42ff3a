// The app access token is fetched once per app, however many parts of the server need it at start-up
// (the Stream client's credential check, the card callback registration, the sender) and however many
// messages go out at once: one in-flight request, shared, then the cache.
import { afterEach, describe, expect, it } from "vitest";
import { startFakeDingTalk, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { DT, startDingTalkRig, who, type DingTalkMode, type DingTalkRig } from "../support/dingtalk-rig.js";

let rig: DingTalkRig | undefined;
let fake: FakeDingTalk | undefined;
afterEach(async () => {
  await rig?.close();
  await fake?.close();
  rig = fake = undefined;
});

const tokenCalls = (f: FakeDingTalk) => f.callsTo("/v1.0/oauth2/accessToken");

describe.each<DingTalkMode>(["stream", "http"])("DingTalk access token (%s mode)", (mode) => {
  it("start-up and a burst of concurrent sends make exactly one token request", async () => {
    fake = await startFakeDingTalk({ appKey: DT.appKey, appSecret: DT.appSecret });
    rig = await startDingTalkRig(mode, { fake, env: { PUBLIC_URL: "https://desk.example.com" } });
    // Ten feedback messages in ten groups at once: ten cards and ten @-notices go out concurrently.
    await Promise.all(Array.from({ length: 10 }, (_, i) => rig!.robot(rig!.message(`客户反馈：系统报错 ${i}`, who.reporter, { conversationId: `cid_burst_${mode}_${i}==` }))));
    expect(fake.callsTo("/v1.0/card/instances/createAndDeliver").filter((c) => c.status === 200)).toHaveLength(10);
    const calls = tokenCalls(fake);
    expect(calls).toHaveLength(1);
    // Every call used that one token.
    const used = new Set(fake.calls.filter((c) => c.headers["x-acs-dingtalk-access-token"]).map((c) => c.headers["x-acs-dingtalk-access-token"]));
    expect([...used].length).toBe(1);
    expect([...used][0]).toMatch(/^tok-\d+$/);
  });
});
