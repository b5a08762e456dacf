import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProtocolError } from '../../../src/core/errors';
import { decodeBody, parseInfos, frenchDateTimeToEpoch, parsePointages, parseTransfer } from '../../../src/integrations/festime/parse';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/festime', name), 'utf8');
const TZ = 'Europe/Paris';

describe('Festime text parsing', () => {
  it('parses the documentation sample verbatim (wrapped lines, accents, trailing separators)', () => {
    const events = parsePointages(fixture('pointage-doc-sample.txt'), TZ);
    expect(events.map((e) => [e.id, e.uid, e.name, e.movement, e.accessPoint, e.terminal])).toEqual([
      ['95', '70', 'ADONIS Alain', 'A', 'Accès porte Sud - Melun', '8798'],
      ['96', '221342634', 'ANOUBA Félix', 'A', 'Accès porte Sud - Melun', '8798'],
      ['111', '71', 'BOILLARD Jean', 'A', 'Accès porte Sud - Melun', '8798'],
    ]);
    // 08/01/2019 14:02:45 in Paris (UTC+1 in winter)
    expect(new Date(events[0].at).toISOString()).toBe('2019-01-08T13:02:45.000Z');
  });

  it('decodes Windows-1252 bodies and keeps UTF-8 ones', () => {
    const text =
      'id_client;id_pointage;uid_utilisateur;nompren_utilisateur;code_mvt;horodatage~1;5;9;CÔTÉ Hélène;A;23/11/2026 ' + '08:00:00~';
    expect(decodeBody(Buffer.from(text, 'latin1'))).toBe(text);
    expect(decodeBody(Buffer.from(text, 'utf8'))).toBe(text);
    expect(decodeBody(Buffer.from(text, 'latin1'), 'text/plain; charset=windows-1252')).toBe(text);
    expect(parsePointages(decodeBody(Buffer.from(text, 'latin1')), TZ)[0].name).toBe('CÔTÉ Hélène');
  });

  it('finds columns by name when they are reordered, and ignores blank rows and extra fields', () => {
    const text =
      'uid_utilisateur;code_mvt;id_pointage;horodatage;id_client;point_acces;;~\r\n42;d;7;23/11/2026 18:30:00;1;Hall;;;extra~~ ; ;~';
    const [e] = parsePointages(text, TZ);
    expect(e).toMatchObject({ id: '7', uid: '42', movement: 'D', accessPoint: 'Hall' });
    expect(new Date(e.at).toISOString()).toBe('2026-11-23T17:30:00.000Z');
  });

  it('falls back on the jour/mois/annee/heure/minute/seconde columns', () => {
    const text = 'id_client;id_pointage;uid_utilisateur;code_mvt;horodatage;jour;mois;annee;heure;minute;seconde~1;8;42;A;;3;7;2026;9;5;0~';
    expect(new Date(parsePointages(text, TZ)[0].at).toISOString()).toBe('2026-07-03T07:05:00.000Z');
  });

  it('a row whose date no clock can show (month 13, year 99999, 25:00) is no badge event, never a crash', () => {
    const legend = 'id_pointage;uid_utilisateur;code_mvt;horodatage';
    const rows = ['1;70;A;13/13/2026 08:00:00', '2;70;A;01/01/99999 08:00:00', '3;70;A;01/12/2026 25:00:00', '4;70;A;02/12/2026 08:00:00'];
    expect(parsePointages([legend, ...rows].join('~'), 'Europe/Paris').map((e) => e.id)).toEqual(['4']);
    expect(frenchDateTimeToEpoch('31/13/2026 10:00:00', 'Europe/Paris')).toBeUndefined();
  });

  it('accepts a legend with no event, and refuses a reply that is not the legend', () => {
    expect(parsePointages('id_client;client;code_groupe;id_pointage;uid_utilisateur;code_mvt~', TZ)).toEqual([]);
    expect(() => parsePointages('ERREUR : Identifiant incorrect', TZ)).toThrow(ProtocolError);
    expect(() => parsePointages('<html><body>Maintenance</body></html>', TZ)).toThrow(ProtocolError);
    expect(() => parsePointages('id_client;client~1;2~', TZ)).toThrow(ProtocolError);
    expect(() => parsePointages('id_pointage;client~1;2~', TZ)).toThrow(/uid_utilisateur/);
  });

  it('parses terminal infos per access point and tolerates unknown lines', () => {
    expect(parseInfos(fixture('infos-doc-sample.txt'), TZ)).toEqual([
      {
        accessPoint: 'Accès porte Sud - Melun',
        serial: '8798',
        timezone: 'France',
        status: 'ONLINE',
        lastScan: '21/02/2019 17:02:51',
        // the terminals' zone: 17:02:51 in Paris (winter) is 16:02:51 UTC
        lastScanAt: Date.parse('2019-02-21T16:02:51Z'),
        users: 25,
        reasons: 2,
      },
    ]);
    const two = parseInfos(
      "NOMBRE DE POINT D'ACCES : 2 1/2) *** POINT D'ACCES -> A : [x]\n- Statut de connexion du terminal : OFFLINE 2/2) *** POINT " +
        "D'ACCES -> B : [y]\n- Statut de connexion du terminal : ONLINE",
    );
    expect(two.map((i) => [i.accessPoint, i.status])).toEqual([
      ['A', 'OFFLINE'],
      ['B', 'ONLINE'],
    ]);
  });

  it('parses transfer results and user function replies', () => {
    expect(parseTransfer(fixture('transfer-doc-sample.txt'))).toEqual([
      {
        accessPoint: 'Accès porte Sud - Melun',
        ok: true,
        message:
          "L'ordre de Maj du référentiel RH pour ce point d'accès a bien été envoyé au Terminal : 8798; Nombre d'utilisateurs(s) " +
          'traité : 25',
      },
    ]);
    expect(
      parseTransfer("NOMBRE DE POINT D'ACCES pour transfert : 1 1/1) *** POINT D'ACCES -> Hall : KO;Terminal injoignable")[0],
    ).toMatchObject({ ok: false, message: 'Terminal injoignable' });
  });
});
