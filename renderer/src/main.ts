import { mount } from 'svelte';
import App from './App.svelte';
import { AccountModel } from './lib/account-model.svelte';
import { AppModel } from './lib/app-model.svelte';
import { getBridge } from './lib/bridge';
import { CallStore } from './lib/call/call-store.svelte';
import { TelnyxSoftphone } from './lib/telephony/telnyx-softphone';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('The page has no #app element');
const bridge = getBridge();
const model = new AppModel(bridge);
const account = new AccountModel(bridge);
const store = new CallStore({
	phone: new TelnyxSoftphone(),
	bridge,
	settings: () => model.settings,
	directory: () => account.directory.filter((entry) => !entry.self),
});
mount(App, { target, props: { bridge, model, account, store } });
