import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fixturePath } from './fixtures.js';
import { hasCommand, scratchDir } from './openssl.js';

/** Where Debian's libsaxonhe-java puts Saxon-HE (XSLT 3.0, with fn:transform). */
export const SAXON_JAR = process.env.SAXON_JAR ?? '/usr/share/java/Saxon-HE.jar';
const PACKAGES = 'default-jre-headless libsaxonhe-java';

/**
 * Whether SUNAT's stylesheets can run here: Java and Saxon-HE. In CI (CI=true) a missing one is an error, never a
 * skip; locally the caller skips with a loud message naming the Debian packages.
 */
export function sunatXslOrSkip(): boolean {
  if (hasCommand('java') && existsSync(SAXON_JAR)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but Java or Saxon-HE (${SAXON_JAR}) is missing: apt-get install ${PACKAGES}`);
  console.warn(
    `\n*** SKIPPING SUNAT's GRE stylesheets: Java or Saxon-HE is missing. Install them with \`apt-get install ${PACKAGES}\` (CI installs them and runs them). ***\n`,
  );
  return false;
}

/** One finding of SUNAT's stylesheet: an error (SUNAT rejects the guide) or an observation (code 4000+, accepted). */
export interface SunatXslFinding {
  code: string;
  /** The line Saxon printed, e.g. `ERROR: Documento Relacionado : 01-F001-456: errorCode 3380 (nodo: "/" valor: "")`. */
  text: string;
}
export interface SunatXslResult {
  errors: SunatXslFinding[];
  warnings: SunatXslFinding[];
}
export interface SunatXslInput {
  type: '09' | '31';
  xml: string;
  /** `RUC-TT-SERIES-NUMBER.xml`, which the stylesheet compares with the document. */
  fileName: string;
}

// One JVM for the whole batch: this stylesheet calls SUNAT's (compiled once, cached by fn:transform) on each guide
// with its own file name, and frames each guide's messages so that they can be told apart.
const BATCH_XSL = `<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xsl:param name="list" as="xs:string"/>
  <xsl:template name="xsl:initial-template">
    <xsl:for-each select="tokenize(unparsed-text($list), '\\n')[normalize-space()]">
      <xsl:variable name="f" select="tokenize(., '\\|')"/>
      <xsl:message>@@BEGIN <xsl:value-of select="position()"/></xsl:message>
      <xsl:variable name="r" select="transform(map{ 'stylesheet-location': $f[3], 'source-node': doc($f[1]),
        'stylesheet-params': map{ QName('', 'nombreArchivoEnviado'): $f[2] } })"/>
      <xsl:message>@@END <xsl:value-of select="position()"/> <xsl:value-of select="map:size($r)" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/></xsl:message>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
`;

const STYLESHEETS = { '09': 'ValidaExprRegGreRemitente-2.0.1.xsl', '31': 'ValidaExprRegGreTransportista-2.0.1.xsl' } as const;

/** Runs SUNAT's GRE stylesheet of each guide's type on it, all in one Saxon process. Results in input order. */
export function runSunatXsl(inputs: SunatXslInput[]): SunatXslResult[] {
  if (inputs.length === 0) return [];
  const s = scratchDir('sunat-xsl-');
  try {
    const list = inputs
      .map((g, i) =>
        [
          pathToFileURL(s.write(`g${i}.xml`, g.xml)).href,
          g.fileName,
          pathToFileURL(fixturePath(`sunat-xsl/${STYLESHEETS[g.type]}`)).href,
        ].join('|'),
      )
      .join('\n');
    s.write('list.txt', list);
    s.write('batch.xsl', BATCH_XSL);
    const r = spawnSync(
      'java',
      ['-cp', SAXON_JAR, 'net.sf.saxon.Transform', '-it', `-xsl:${s.path('batch.xsl')}`, `list=${pathToFileURL(s.path('list.txt')).href}`],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    if (r.error) throw r.error;
    const results: SunatXslResult[] = inputs.map(() => ({ errors: [], warnings: [] }));
    let current: SunatXslResult | undefined;
    let ended = 0;
    for (const line of `${r.stderr}\n${r.stdout}`.split('\n')) {
      const begin = /^@@BEGIN (\d+)$/.exec(line);
      if (begin) {
        current = results[Number(begin[1]) - 1];
        continue;
      }
      if (/^@@END \d+/.test(line)) {
        ended++;
        current = undefined;
        continue;
      }
      const code = /errorCode (\d{4})/.exec(line)?.[1];
      if (code && current) (line.startsWith('ERROR:') ? current.errors : current.warnings).push({ code, text: line });
    }
    if (r.status !== 0 || ended !== inputs.length)
      throw new Error(`Saxon failed (status ${r.status}, ${ended}/${inputs.length} guides done): ${r.stderr.slice(-2000)}`);
    return results;
  } finally {
    s.cleanup();
  }
}
