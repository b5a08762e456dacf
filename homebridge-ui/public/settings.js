// The Building Hub settings page. It renders the fields of config.schema.json (same titles, help and conditions),
// per account offers "Test connection" and a finder that writes the ids, and keeps secrets out of the config:
// a typed password goes to the plugin's secret store (homebridge-ui/server.js) and never comes back.
'use strict';

(async () => {
  const hb = window.homebridge;
  const $ = (tag, attrs = {}, ...children) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c) el.append(c);
    return el;
  };
  const isEmpty = (v) =>
    v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Object.keys(v).length);
  let uid = 0;
  const nextId = () => `bh-f${++uid}`;

  const FINDERS = {
    overkiz: 'Choose devices',
    homesmartlink: 'Find homes',
    harmonys: 'Find alert buttons',
    baxo: 'Find tags',
    festime: 'Find people',
  };

  hb.showSpinner();
  const [configs, schemaFile, vendors] = await Promise.all([hb.getPluginConfig(), hb.getPluginConfigSchema(), hb.request('/vendors')]);
  const config = configs[0] || { platform: 'BuildingHub' };
  config.platform = config.platform || 'BuildingHub';
  const props = schemaFile.schema.properties;
  const layoutOf = (key) => {
    const set = schemaFile.layout.find((l) => l.type === 'fieldset' && l.items && l.items[0] && l.items[0].key === key);
    return set ? { title: set.title, items: set.items[0].items } : { title: key, items: [] };
  };
  /** Secrets serialised: a test or a save waits for the secret typed just before. */
  let pending = Promise.resolve();
  const stored = {};

  /** Secrets written in config.json by hand move to the secret store; the config keeps only the reference. */
  for (const v of vendors) {
    for (const account of config[v.configKey] || []) {
      const values = {};
      for (const f of v.secretFields) if (typeof account[f] === 'string' && account[f] !== '') values[f] = account[f];
      if (!Object.keys(values).length) continue;
      const saved = await hb.request('/secrets/save', { configKey: v.configKey, credentialsRef: account.credentialsRef, values });
      account.credentialsRef = saved.credentialsRef;
      for (const f of Object.keys(values)) delete account[f];
    }
  }
  const refs = vendors.flatMap((v) => (config[v.configKey] || []).map((a) => a.credentialsRef).filter(Boolean));
  Object.assign(stored, await hb.request('/secrets/status', { refs }));
  hb.hideSpinner();

  /** The config as saved: no account the user left empty, no secret. */
  const cleaned = () => {
    const out = { ...config };
    for (const v of vendors) {
      const list = (config[v.configKey] || []).filter((a) => Object.entries(a).some(([k, x]) => k !== 'credentialsRef' && !isEmpty(x)));
      if (list.length) out[v.configKey] = list;
      else delete out[v.configKey];
    }
    return out;
  };
  const push = () => hb.updatePluginConfig([cleaned()]);

  const readValue = (schema, input) => {
    const text = input.value;
    if (schema.type === 'integer' || schema.type === 'number') return text.trim() === '' ? undefined : Number(text);
    if (schema.type === 'array' && schema.items && schema.items.type === 'string')
      return text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    if (schema.type === 'array' || schema.type === 'object') {
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text);
      } catch {
        input.classList.add('is-invalid');
        throw new Error('not JSON');
      }
    }
    return text.trim() === '' ? undefined : text;
  };
  const showValue = (schema, value) => {
    if (value === undefined) return '';
    if (schema.type === 'array' && schema.items && schema.items.type === 'string') return value.join('\n');
    if (schema.type === 'array' || schema.type === 'object') return JSON.stringify(value, null, 2);
    return String(value);
  };

  /** One field of an account, as config.schema.json describes it. */
  function field(vendor, account, key, schema, refresh) {
    const id = nextId();
    const secret = vendor.secretFields.includes(key);
    const title = schema.title || key;
    const help = schema.description ? $('div', { class: 'bh-help', text: schema.description }) : null;
    const set = (value) => {
      if (value === undefined) delete account[key];
      else account[key] = value;
      push();
      refresh();
    };
    if (schema.type === 'boolean') {
      // Left out when it equals the default, so that a later default change reaches the user (and no row looks filled).
      const fallback = schema.default === true;
      const input = $('input', {
        type: 'checkbox',
        class: 'form-check-input',
        id,
        onchange: () => set(input.checked === fallback ? undefined : input.checked),
      });
      input.checked = account[key] === undefined ? fallback : account[key] === true;
      return $('div', { class: 'form-check mb-2' }, input, $('label', { class: 'form-check-label', for: id, text: title }), help);
    }
    let input;
    if (schema.oneOf || schema.enum) {
      const options = schema.oneOf ? schema.oneOf.map((o) => [o.enum[0], o.title]) : schema.enum.map((e) => [e, e]);
      input = $('select', { class: 'form-select', id }, $('option', { value: '', text: '(default)' }));
      for (const [value, text] of options) input.append($('option', { value, text }));
      input.value = account[key] === undefined ? '' : account[key];
      input.addEventListener('change', () => set(input.value || undefined));
    } else if (secret) {
      const saved = account.credentialsRef && (stored[account.credentialsRef] || []).includes(key);
      input = $('input', {
        type: 'password',
        class: 'form-control',
        id,
        autocomplete: 'new-password',
        placeholder: saved ? 'Saved: leave empty to keep it, or type a new one' : '',
      });
      input.addEventListener('change', () => {
        const value = input.value;
        if (!value) return;
        pending = pending.then(async () => {
          const reply = await hb.request('/secrets/save', {
            configKey: vendor.configKey,
            credentialsRef: account.credentialsRef,
            values: { [key]: value },
          });
          account.credentialsRef = reply.credentialsRef;
          stored[reply.credentialsRef] = reply.fields;
          input.value = '';
          input.placeholder = 'Saved: leave empty to keep it, or type a new one';
          push();
        });
      });
    } else {
      const multi = schema.type === 'array' || schema.type === 'object' || (schema['x-schema-form'] || {}).type === 'textarea';
      const numeric = schema.type === 'integer' || schema.type === 'number';
      input = multi
        ? $('textarea', { class: 'form-control', id, rows: schema.type === 'array' && schema.items.type === 'string' ? 3 : 4 })
        : $('input', { type: numeric ? 'number' : 'text', class: 'form-control', id, step: schema.type === 'integer' ? 1 : undefined });
      if (schema.minimum !== undefined) input.setAttribute('min', schema.minimum);
      if (schema.maximum !== undefined) input.setAttribute('max', schema.maximum);
      const hint = schema.placeholder !== undefined ? schema.placeholder : schema.default;
      if (hint !== undefined) input.setAttribute('placeholder', hint);
      input.value = showValue(schema, account[key]);
      input.addEventListener('change', () => {
        input.classList.remove('is-invalid');
        try {
          set(readValue(schema, input));
        } catch {
          /* left as typed, marked invalid */
        }
      });
      input.dataset.key = key;
    }
    const required = (vendor.requiredFields || []).includes(key);
    if (required) input.setAttribute('aria-required', 'true');
    const mark = required ? $('span', { class: 'text-danger ms-1', title: 'required', 'aria-hidden': 'true', text: '*' }) : null;
    const row = $('div', { class: 'mb-2' }, $('label', { class: 'form-label', for: id, text: title }), mark, input, help);
    // A finder changed the account: the field shows the new value (never for a secret).
    if (!secret) row.bhSync = () => (input.value = showValue(schema, account[key]));
    return row;
  }

  /** The finder of one account: checkboxes that write the ids into the account. */
  function finder(vendor, account, found, box, changed) {
    const push = changed;
    box.replaceChildren();
    if (found.note) box.append($('div', { class: 'bh-help', text: found.note }));
    if (!found.items.length) box.append($('div', { text: 'Nothing was found.' }));
    const key = vendor.configKey;
    let group;
    for (const item of found.items) {
      if (item.group && item.group !== group) box.append($('div', { class: 'bh-group', text: (group = item.group) }));
      const id = nextId();
      const box1 = $('input', { type: 'checkbox', class: 'form-check-input', id, 'data-id': item.id, disabled: !!item.unsupported });
      const label = [item.name, item.kind && `(${item.kind})`].filter(Boolean).join(' ');
      const row = $(
        'div',
        { class: 'form-check' },
        box1,
        $('label', { class: 'form-check-label', for: id, text: label }),
        item.detail ? $('div', { class: 'bh-help', text: item.detail }) : null,
        item.unsupported ? $('div', { class: 'bh-help', text: `Home cannot show it: ${item.unsupported}` }) : null,
        item.warning ? $('div', { class: 'bh-warning', text: item.warning }) : null,
      );
      box.append(row);
      if (key === 'overkiz') {
        box1.checked = !item.unsupported && !(account.exclude || []).includes(item.id);
        box1.addEventListener('change', () => {
          const rest = (account.exclude || []).filter((x) => x !== item.id);
          account.exclude = box1.checked ? rest : [...rest, item.id];
          push();
        });
      } else if (key === 'homesmartlink') {
        box1.checked = (account.homeIds || []).includes(item.id);
        box1.addEventListener('change', () => {
          const rest = (account.homeIds || []).filter((x) => x !== item.id);
          account.homeIds = box1.checked ? [...rest, item.id] : rest;
          push();
        });
      } else if (key === 'festime') {
        box1.checked = (account.people || []).some((p) => p.uid === item.id);
        box1.addEventListener('change', () => {
          const rest = (account.people || []).filter((p) => p.uid !== item.id);
          account.people = box1.checked ? [...rest, { uid: item.id, name: item.name }] : rest;
          push();
        });
      } else if (key === 'baxo') {
        const same = (t) => String(t.deviceId) === item.fields.deviceId && t.tagReference === item.fields.tagReference;
        const current = (account.tags || []).find(same);
        const as = $('select', { class: 'form-select form-select-sm', 'aria-label': `Show ${item.name} as` });
        for (const o of props.baxo.items.properties.tags.items.properties.as.oneOf)
          as.append($('option', { value: o.enum[0], text: o.title }));
        as.value = current ? current.as : item.fields.as;
        row.append(as);
        box1.checked = !!current;
        const write = () => {
          const rest = (account.tags || []).filter((t) => !same(t));
          const { contractId, deviceId, tagReference } = item.fields;
          account.tags = box1.checked ? [...rest, { contractId, deviceId, tagReference, as: as.value }] : rest;
          push();
        };
        box1.addEventListener('change', write);
        as.addEventListener('change', () => box1.checked && write());
      } else if (key === 'harmonys') {
        const current = (account.buttons || []).find((b) => b.buttonUuid === item.id);
        box1.checked = !!current;
        const sites = $('div', { class: 'ms-4', hidden: !current });
        const siteBoxes = (found.sites || []).map((s) => {
          const sid = nextId();
          const sb = $('input', { type: 'checkbox', class: 'form-check-input', id: sid, 'data-site': s.id });
          sb.checked = !current || !current.siteUuids || current.siteUuids.includes(s.id);
          sites.append(
            $('div', { class: 'form-check' }, sb, $('label', { class: 'form-check-label', for: sid, text: `may alert ${s.name}` })),
          );
          return sb;
        });
        row.append(sites);
        const write = () => {
          sites.hidden = !box1.checked;
          const rest = (account.buttons || []).filter((b) => b.buttonUuid !== item.id);
          const chosen = siteBoxes.filter((b) => b.checked).map((b) => b.dataset.site);
          const entry = { buttonUuid: item.id, name: item.name };
          if (chosen.length && chosen.length < siteBoxes.length) entry.siteUuids = chosen;
          account.buttons = box1.checked ? [...rest, entry] : rest;
          push();
        };
        box1.addEventListener('change', write);
        for (const sb of siteBoxes) sb.addEventListener('change', write);
      }
    }
  }

  /** One account's card: its fields, Test connection, its finder and Remove. */
  function accountCard(vendor, account, list, rerender) {
    const { items } = layoutOf(vendor.configKey);
    const fieldProps = props[vendor.configKey].items.properties;
    const card = $('div', { class: 'bh-account', 'data-vendor': vendor.configKey });
    const rows = [];
    const refresh = () => {
      const index = list.indexOf(account);
      for (const { row, condition } of rows) row.hidden = condition ? !condition(config, index) : false;
    };
    for (const item of items) {
      const key = item.key.split('[].')[1];
      if (!key || key === 'credentialsRef' || !fieldProps[key]) continue;
      const row = field(vendor, account, key, fieldProps[key], refresh);
      // The schema's own conditions (config-ui-x evaluates the same function bodies); CSP allows it.
      const condition = item.condition ? new Function('model', 'arrayIndices', item.condition.functionBody) : undefined;
      rows.push({ row, condition });
      card.append(row);
    }
    refresh();
    const status = $('div', { class: 'bh-status', role: 'status' });
    const picker = $('div', { class: 'bh-picker' });
    const test = async () => {
      status.textContent = 'Testing…';
      await pending;
      const report = await hb.request('/test', { configKey: vendor.configKey, account });
      status.textContent = report.message;
      status.className = `bh-status ${report.ok ? 'text-success' : 'text-danger'}`;
      if (!report.ok && report.fingerprint && 'certificateFingerprint' in fieldProps) {
        const trust = $('button', {
          type: 'button',
          class: 'btn btn-warning btn-sm ms-2',
          text: 'Trust this certificate',
          onclick: () => {
            account.certificateFingerprint = report.fingerprint;
            push();
            rerender();
          },
        });
        status.append($('div'), trust);
      }
    };
    const find = async () => {
      picker.textContent = 'Looking…';
      await pending;
      const found = await hb.request('/discover', { configKey: vendor.configKey, account });
      if (!found.ok) picker.replaceChildren($('div', { class: 'text-danger', text: found.message }));
      else
        finder(vendor, account, found, picker, () => {
          push();
          for (const { row } of rows) if (row.bhSync) row.bhSync();
        });
    };
    const guard = (fn) => () => fn().catch((err) => hb.toast.error(err.message || String(err), vendor.vendor));
    card.append(
      $(
        'div',
        { class: 'mt-2' },
        $('button', { type: 'button', class: 'btn btn-secondary btn-sm me-2', text: 'Test connection', onclick: guard(test) }),
        $('button', { type: 'button', class: 'btn btn-secondary btn-sm me-2', text: FINDERS[vendor.configKey], onclick: guard(find) }),
        $('button', {
          type: 'button',
          class: 'btn btn-outline-danger btn-sm',
          text: 'Remove this account',
          onclick: () => {
            list.splice(list.indexOf(account), 1);
            push();
            rerender();
          },
        }),
      ),
      status,
      picker,
    );
    return card;
  }

  function vendorSection(vendor) {
    const { title } = layoutOf(vendor.configKey);
    const section = $('details', { 'data-vendor': vendor.configKey });
    const render = () => {
      const list = (config[vendor.configKey] = config[vendor.configKey] || []);
      section.open = section.open || list.length > 0;
      section.replaceChildren($('summary', { text: `${title} (${list.length})` }));
      for (const account of list) section.append(accountCard(vendor, account, list, render));
      section.append(
        $('button', {
          type: 'button',
          class: 'btn btn-outline-primary btn-sm mb-3',
          text: `Add a ${vendor.vendor} account`,
          onclick: () => {
            list.push({});
            section.open = true;
            render();
          },
        }),
      );
    };
    render();
    return section;
  }

  const platformBox = document.getElementById('bh-platform');
  for (const key of ['name', 'demo', 'debug']) {
    const vendorless = { configKey: '', secretFields: [] };
    platformBox.append(field(vendorless, config, key, props[key], () => undefined));
  }
  const vendorBox = document.getElementById('bh-vendors');
  for (const vendor of vendors) vendorBox.append(vendorSection(vendor));
  push();
})().catch((err) => {
  window.homebridge.hideSpinner();
  window.homebridge.toast.error(err && err.message ? err.message : String(err), 'Building Hub settings');
});
