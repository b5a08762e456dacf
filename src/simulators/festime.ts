import type { VendorDemo } from '../integrations/vendorEntry';
import { frenchDateTime, localParts } from '../core/time';
import { SimulatorServer, VendorSimulator, type SimRequest, type SimResponse } from './base';

export interface SimAccessPoint {
  name: string;
  terminal: string;
  online: boolean;
  /** Age of the terminal's last connection scan (default 60 s). */
  lastScanAgoMs?: number;
  /** Users loaded on the terminal (default: every person). */
  users?: number;
}

export interface SimPerson {
  uid: string;
  lastName: string;
  firstName: string;
  group?: string;
}

export interface FestimeSimOptions {
  login: string;
  password: string;
  timezone?: string;
  accessPoints: SimAccessPoint[];
  people: SimPerson[];
  now?: () => number;
  /** Wrap the text every N characters with CR/LF, as the service does (0 = never). */
  wrapAt?: number;
}

interface SimEvent {
  id: number;
  uid: string;
  movement: 'A' | 'D' | 'P';
  reason: string;
  accessPoint: SimAccessPoint;
  at: number;
  /** When the terminal uploaded it to Festime (a terminal offline for a while uploads late). */
  uploadedAt: number;
}

const LEGEND =
  'id_client;client;code_groupe;id_pointage;uid_utilisateur;nompren_utilisateur;code_mvt;code_motif;motif_pause;jour_sem;' +
  'horodatage;jour;mois;annee;heure;minute;seconde;noserie_terminal;point_acces;code_translation';
const DAYS = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

/** The Festime web API: one text endpoint, Windows-1252 bodies, "~" rows and ";" fields, wrapped lines. */
export class FestimeSimulator extends VendorSimulator {
  protected readonly basePath = '/webapi.aspx';
  readonly server = new SimulatorServer();
  readonly events: SimEvent[] = [];
  readonly transfers: string[] = [];
  private seq = 100;

  constructor(readonly opts: FestimeSimOptions) {
    super();
    this.server.now = () => this.now();
    this.server.route('GET', '/webapi.aspx', (r) => this.handle(r));
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Someone presents their badge: A (arrival), D (departure) or P (break). */
  badge(
    uid: string,
    movement: 'A' | 'D' | 'P',
    accessPoint = this.opts.accessPoints[0].name,
    at = this.now(),
    reason = movement === 'P' ? 'Pause déjeuner' : '',
    uploadedAt = at,
  ): number {
    const ap = this.opts.accessPoints.find((a) => a.name === accessPoint) ?? this.opts.accessPoints[0];
    const id = ++this.seq;
    this.events.push({ id, uid, movement, reason, accessPoint: ap, at, uploadedAt });
    return id;
  }

  private text(body: string): SimResponse {
    const wrap = this.opts.wrapAt ?? 0;
    const wrapped = wrap > 0 ? body.replace(new RegExp(`(.{${wrap}})`, 'g'), '$1\r\n') : body;
    // Latin-1 bytes are Windows-1252 for every French letter; no charset is announced, as the real service does.
    return { body: Buffer.from(wrapped, 'latin1'), headers: { 'content-type': 'text/html' } };
  }

  private handle(req: SimRequest): SimResponse {
    const q = req.query;
    if (q.get('login') !== this.opts.login || q.get('password') !== this.opts.password)
      return this.text('ERREUR : Identifiant ou mot de passe du compte Festime incorrect');
    const person = { lastName: q.get('nom') ?? '', firstName: q.get('prenom') ?? '', uid: q.get('uid') ?? '' };
    switch (q.get('fonction')) {
      case 'pointage':
        return this.text(this.pointages(q.get('date')));
      case 'ajouter_utilisateur_dans_festime':
        return this.text(this.addUser(person));
      case 'modifier_utilisateur_dans_festime':
      case 'effacer_utilisateur_dans_festime':
        return this.text(this.changeUser(q.get('fonction') === 'effacer_utilisateur_dans_festime', person));
      case 'global_transfert_to_iot_utilisateurs':
        this.transfers.push('utilisateurs');
        return this.text(
          this.perAccessPoint('transfert [ utilisateur(s) ]', (ap) =>
            ap.online
              ? `OK;L'ordre de Maj du référentiel RH pour ce point d'accès a bien été envoyé au Terminal ` +
                `: ${ap.terminal}; Nombre d'utilisateurs(s) traité : ${this.opts.people.length}`
              : `KO;Le terminal ${ap.terminal} est injoignable`,
          ),
        );
      case 'global_transfert_to_iot_motifs':
        this.transfers.push('motifs');
        return this.text(
          this.perAccessPoint('transfert [ motif(s) pause ]', (ap) =>
            ap.online
              ? `OK;L'ordre de Maj du référentiel Motif(s) de pause pour ce point d'accès a bien été envoyé au Terminal : ` +
                `${ap.terminal}; Nombre de motif(s) traité : 2`
              : `KO;Le terminal ${ap.terminal} est injoignable`,
          ),
        );
      case 'global_vider_iot':
        this.transfers.push('vider');
        return this.text(
          this.perAccessPoint(
            'A VIDER',
            (ap) =>
              `OK;L'ordre de vidage des listes [utilisateurs] et [motifs de pause] pour ce point d'accès a bien été envoyé au ` +
              `Terminal : ${ap.terminal}`,
          ),
        );
      case 'global_get_infos_iot':
        return this.text(this.infos());
      default:
        return this.text('ERREUR : fonction Web-API inconnue');
    }
  }

  private pointages(date: string | null): string {
    const tz = this.opts.timezone ?? 'Europe/Paris';
    const dayOf = (t: number) => localParts(t, tz).date;
    const iso = (fr: string) => fr.trim().replace(/^!/, '').split('/').reverse().join('-');
    const today = dayOf(this.now());
    const keep = (e: SimEvent) => {
      const d = dayOf(e.at);
      if (!date) return d === today;
      if (date.trim().startsWith('!')) return d === iso(date);
      return d >= iso(date) && d <= today;
    };
    const rows = this.events
      .filter((e) => e.uploadedAt <= this.now() && keep(e))
      .map((e) => {
        const p = localParts(e.at, tz);
        const [y, m, d] = p.date.split('-');
        const hh = Math.floor(p.minutes / 60);
        const mm = p.minutes % 60;
        const pad = (n: number) => String(n).padStart(2, '0');
        const who = this.opts.people.find((x) => x.uid === e.uid);
        const weekday = DAYS[new Date(`${p.date}T12:00:00Z`).getUTCDay()];
        return [
          7,
          'ESPACE DE DEMO',
          who?.group ?? '',
          e.id,
          e.uid,
          who ? `${who.lastName} ${who.firstName}` : '',
          e.movement,
          e.reason ? 1 : 0,
          e.reason,
          weekday,
          `${d}/${m}/${y} ${pad(hh)}:${pad(mm)}:${pad(p.seconds)}`,
          Number(d),
          Number(m),
          y,
          hh,
          mm,
          p.seconds,
          e.accessPoint.terminal,
          e.accessPoint.name,
          '',
        ].join(';');
      });
    return [LEGEND, ...rows].join('~');
  }

  private addUser(p: { lastName: string; firstName: string; uid: string }): string {
    const who = `${p.lastName} / ${p.firstName} / ${p.uid}`;
    if (!p.uid || !p.lastName) return `KO;Paramètres manquants;${who}`;
    if (this.opts.people.some((x) => x.uid === p.uid)) return `KO;Utilisateur non ajouté dans Festime - UID fourni existe déjà!${who}`;
    this.opts.people.push({ ...p });
    return `OK;Utilisateur ajouté dans Festime;${who}`;
  }

  private changeUser(remove: boolean, p: { lastName: string; firstName: string; uid: string }): string {
    const who = `${p.lastName} / ${p.firstName} / ${p.uid}`;
    const i = this.opts.people.findIndex((x) => x.uid === p.uid);
    if (i < 0) return `KO;Utilisateur inconnu dans Festime;${who}`;
    if (remove) this.opts.people.splice(i, 1);
    else this.opts.people[i] = { ...this.opts.people[i], lastName: p.lastName, firstName: p.firstName };
    return `OK;Utilisateur ${remove ? 'effacé' : 'modifié'} dans Festime;${who}`;
  }

  private perAccessPoint(what: string, line: (ap: SimAccessPoint) => string): string {
    const n = this.opts.accessPoints.length;
    return (
      `NOMBRE DE POINT D'ACCES pour ${what} : ${n} ` +
      this.opts.accessPoints.map((ap, i) => `${i + 1}/${n}) *** POINT D'ACCES -> ${ap.name} : ${line(ap)}`).join(' ')
    );
  }

  private infos(): string {
    const tz = this.opts.timezone ?? 'Europe/Paris';
    const stamp = (t: number) => frenchDateTime(t, tz);
    const n = this.opts.accessPoints.length;
    return (
      `NOMBRE DE POINT D'ACCES : ${n} ` +
      this.opts.accessPoints
        .map((ap, i) =>
          [
            `${i + 1}/${n}) *** POINT D'ACCES -> ${ap.name} : [Infos du dispositif de pointage le ${stamp(this.now())}]`,
            `- No de série du terminal : ${ap.terminal}`,
            '- Fuseau horaire paramétré : France',
            `- Statut de connexion du terminal : ${ap.online ? 'ONLINE' : 'OFFLINE'}`,
            `- Adresse IP publique (FAI) du terminal : 203.0.113.${10 + i}`,
            `- Dernier Scan connexion du terminal : ${stamp(this.now() - (ap.lastScanAgoMs ?? 60_000))}`,
            `- Nombre d'utilisateur(s) chargé sur le terminal : ${ap.users ?? this.opts.people.length} - ` +
              'Nombre de motif(s) de pause chargé sur le terminal : 2',
          ].join('\n'),
        )
        .join('\n')
    );
  }
}

/** Demo: eight people on two access points, some already in. */
export function demoFestime(login: string, password: string): FestimeSimOptions {
  return {
    login,
    password,
    wrapAt: 76,
    accessPoints: [
      { name: 'Accès porte Sud', terminal: '8798', online: true },
      { name: 'Accès parking', terminal: '8801', online: true },
    ],
    people: [
      { uid: '70', lastName: 'ADONIS', firstName: 'Alain' },
      { uid: '71', lastName: 'BOILLARD', firstName: 'Jean' },
      { uid: '72', lastName: 'CÔTÉ', firstName: 'Hélène' },
      { uid: '73', lastName: 'DUPRÉ', firstName: 'François' },
      { uid: '74', lastName: 'ÉMERY', firstName: 'Zoé' },
      { uid: '75', lastName: 'FAURÉ', firstName: 'Gaël' },
      { uid: '76', lastName: 'GARÇON', firstName: 'Noël' },
      { uid: '77', lastName: 'HÉBERT', firstName: 'Anaïs' },
    ],
  };
}

/** Demo mode: an office where a few people are already in, then someone badges every 20 s. */
export async function startFestimeDemo(): Promise<VendorDemo> {
  const options = demoFestime('demo-school', 'Demo$Pass&#1');
  const sim = new FestimeSimulator(options);
  const url = await sim.start();
  for (const [uid, ap] of [
    ['70', 0],
    ['72', 1],
    ['75', 0],
  ] as const)
    sim.badge(uid, 'A', options.accessPoints[ap].name, Date.now() - 3_600_000);
  const script = setInterval(() => {
    const person = options.people[Math.floor(Math.random() * options.people.length)];
    const last = [...sim.events].reverse().find((e) => e.uid === person.uid)?.movement;
    const movement = last === 'A' ? (Math.random() < 0.3 ? 'P' : 'D') : 'A';
    sim.badge(person.uid, movement, options.accessPoints[Math.floor(Math.random() * 2)].name);
  }, 20_000);
  script.unref();
  const account = {
    label: 'Demo office',
    baseUrl: url,
    login: options.login,
    password: options.password,
    pollIntervalSeconds: 15,
    people: [{ uid: '70' }, { uid: '72', name: 'Hélène' }],
  };
  return {
    account,
    url,
    requests: () => sim.server.requests.length,
    stop: async () => {
      clearInterval(script);
      await sim.stop();
    },
  };
}
