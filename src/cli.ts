#!/usr/bin/env node
import { sqliteSelfTest } from './vulndb/sqlite.js';
const r = await sqliteSelfTest();
console.log(JSON.stringify(r));
