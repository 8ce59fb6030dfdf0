import { mount } from 'svelte';
import App from './App.svelte';
import { AppModel } from './lib/app-model.svelte';
import { getBridge } from './lib/bridge';
import './app.css';

const target = document.getElementById('app');
if (target === null) throw new Error('The page has no #app element');
mount(App, { target, props: { model: new AppModel(getBridge()) } });
