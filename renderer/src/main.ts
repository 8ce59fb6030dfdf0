import { mount } from 'svelte';
import App from './App.svelte';
import CompactApp from './CompactApp.svelte';
import { AccountModel } from './lib/account-model.svelte';
import { AppModel } from './lib/app-model.svelte';
import { getBridge } from './lib/bridge';
import { forwardErrors } from './lib/error-forwarding';
import { CallStore } from './lib/call/call-store.svelte';
import { TelnyxSoftphone, iceServersFor } from './lib/telephony/telnyx-softphone';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('The page has no #app element');
const bridge = getBridge();
// Both windows (the main one and the tray's compact dialer) start here, so each forwards its errors once.
forwardErrors(bridge);
const account = new AccountModel(bridge);
const model = new AppModel(bridge);

// The compact dialer (opened from the tray) only asks main to dial: it never runs a phone of its own,
// which would register this credential a second time and take its incoming calls.
if (window.location.hash === '#compact') {
	mount(CompactApp, { target, props: { bridge, account, model } });
} else {
	const store = new CallStore({
		// The endpoints' STUN/TURN servers when main gives some (a sandbox's); none on loopback, else Telnyx's.
		phone: new TelnyxSoftphone({
			iceServers: (url) => iceServersFor(model.info?.endpoints.iceServers, url),
		}),
		bridge,
		settings: () => model.settings,
		signallingUrl: () => model.info?.endpoints.signallingUrl ?? null,
		directory: () => account.others,
	});
	mount(App, { target, props: { bridge, model, account, store } });
}
