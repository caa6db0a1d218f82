/** The seed's digest example (Sber's debt-registry page), verbatim: 6 lines, no trailing newline. */
export const SEED_DIGEST = [
  'externalId=7beb4b73-ba9d-49e9-9b6d-d9a169ad2638',
  'date=2018-02-20',
  'recordNum=2',
  'fileId=020b7237-f874-42ce-89bb-02d39d400bcd',
  'orgName=ООО Ромашка',
  'orgTaxNumber=7707012345',
].join('\n');

export const SEED_DIGEST_REGISTRY = {
  externalId: '7beb4b73-ba9d-49e9-9b6d-d9a169ad2638',
  date: '2018-02-20',
  recordNum: '2',
  fileId: '020b7237-f874-42ce-89bb-02d39d400bcd',
  orgName: 'ООО Ромашка',
  orgTaxNumber: '7707012345',
};

/** The seed's request example (read-only fields included, as a client may hold them). */
export const SEED_REQUEST_REGISTRY = {
  bankComment: 'string',
  bankStatus: 'string',
  bfAttachments: [{ fileId: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6', fileName: 'SB_7718830000_40702810038290010000_T18.txt' }],
  date: '2018-12-31',
  digestSignatures: [
    {
      base64Encoded: 'HlaeIHXXEcGT1bFxo1NlpAzpr+kJ2IQrcxVdvDTep6xjsmD1FDb+6NIyLT+/T24S0mPfVCU75sieOMt71TBS7w==',
      certificateUuid: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6',
    },
  ],
  externalId: '22a6dd81-103a-4d3a-8e9b-0ba4b527f5f6',
  number: '1',
  orgName: 'ООО "Клиент"',
  orgTaxNumber: '7707083893',
  recordNum: '100',
};

export const UUID_A = '3f0b9d6e-8c61-4c1e-a3a5-0d2b6f7e9a10';
export const UUID_B = '9a1c2e4f-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
