// Literal first, so that the key union (`Code`) is read from it; exported below under a named type.
const TEXTS = {
  // REST-level (path and JSON body) validations: 422 items
  '500': 'El valor de numRucEmisor no es válido', // inferred
  '501': 'El valor de codCpe no permitido o no válido', // SUNAT REST spec
  '502': 'El valor de numSerie no es válido', // inferred
  '503': 'El valor de numCpe no es válido', // inferred
  '504': 'El archivo no fue enviado (archivo)', // inferred
  '505': 'El valor de nomArchivo no fue enviado o no es válido', // inferred
  '506': 'El valor de arcGreZip no fue enviado o no está en base64', // inferred
  '507': 'El valor de hashZip no fue enviado o no es un SHA-256 en hexadecimal', // inferred
  '508': 'El valor de hashZip no corresponde al archivo enviado', // inferred
  '166': 'Código de ticket no enviado.', // the seed's example
  // catalogue (CodeErrors.xml)
  '0126': 'El ticket no le pertenece al usuario',
  '0127': 'El ticket no existe',
  '0151': 'El nombre del archivo ZIP es incorrecto',
  '0154': 'El RUC del archivo no corresponde al RUC del usuario o el proveedor no esta autorizado a enviar comprobantes del contribuyente',
  '0155': 'El archivo ZIP esta vacio',
  '0156': 'El archivo ZIP esta corrupto',
  '0157': 'El archivo ZIP no contiene comprobantes',
  '0158': 'El archivo ZIP contiene demasiados comprobantes para este tipo de envío',
  '0159': 'El nombre del archivo XML es incorrecto',
  '0160': 'El archivo XML esta vacio',
  '0161': 'El nombre del archivo XML no coincide con el nombre del archivo ZIP',
  '0301': 'Elemento raiz del xml no esta definido',
  '0306': 'No se puede leer (parsear) el archivo XML',
  '1001': 'ID - El dato SERIE-CORRELATIVO no cumple con el formato de acuerdo al tipo de comprobante',
  '1002': 'El XML no contiene informacion en el tag ID',
  '1033': 'El comprobante fue registrado previamente con otros datos',
  '1034': 'Número de RUC del nombre del archivo no coincide con el consignado en el contenido del archivo XML',
  '1035': 'Numero de Serie del nombre del archivo no coincide con el consignado en el contenido del archivo XML',
  '1036': 'Número de documento en el nombre del archivo no coincide con el consignado en el contenido del XML',
  '1050': 'El XML no contiene informacion en el tag DespatchAdviceTypeCode.',
  '1052': 'DespatchAdviceTypeCode - No coincide con el consignado en el contenido del XML.',
  '1059': 'El XML no contiene firma digital.',
  '2085': 'El XML no contiene el tag ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature/@Id',
  '2086': 'ext:UBLExtensions/.../ds:Signature/ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm - No cumple con el estandar',
  '2088': 'ext:UBLExtensions/.../ds:Signature/ds:SignedInfo/ds:SignatureMethod/@Algorithm - No cumple con el estandar',
  '2090': 'ext:UBLExtensions/.../ds:Signature/ds:SignedInfo/ds:Reference/@URI - Debe estar vacio para id',
  '2092': 'ext:UBLExtensions/.../ds:Signature/ds:SignedInfo/.../ds:Transform@Algorithm - No cumple con el estandar',
  '2101': 'El XML no contiene el tag ext:UBLExtensions/.../ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate',
  '2327': 'El certificado usado no se encuentra vigente',
  '2334': 'El documento electrónico ingresado ha sido alterado',
  '2335': 'El documento electrónico ingresado ha sido alterado',
  '2336': 'Ocurrió un error en el proceso de validación de la firma digital',
  '2112': 'CustomizationID - La version del documento no es correcta',
  '2113': 'El XML no contiene el tag o no existe informacion de CustomizationID',
  '2523': 'GrossWeightMeasure - El dato ingresado no cumple con el formato establecido.',
  '2566': 'El XML no contiene el tag o no existe informacion del Numero de placa del vehículo.',
  // SUNAT's GRE rules (packages/sunat-kit's sunat-rules.ts, from SUNAT's stylesheets): errors, then observations
  '2023': 'El Numero de orden del item no cumple con el formato establecido',
  '2554': 'Para el motivo de traslado ingresado el Destinatario debe ser igual al remitente.',
  '2555': 'Destinatario no debe ser igual al remitente.',
  '2573': 'Numero de licencia del conductor - El dato ingresado no cumple con el formato establecido.',
  '2558': 'El XML no contiene el tag o no existe informacion en Numero de Ruc del transportista.',
  '2692': 'El tipo de documento relacionado no es válido',
  '2769': 'El valor ingresado como numero de DAM no cumple con el estandar.',
  '3334': 'El tipo y numero de documento de identidad del Remitente no puede ser es el mismo que el Comprador',
  '3335': 'El tipo y numero de documento de identidad del Destinatario no debe ser es el mismo que el Comprador',
  '3340': 'El documento relacionado al traslado de mercancias se encuentra duplicado',
  '3343': 'La Fecha de inicio del traslado debe ser mayor o igual a la Fecha de emision del documento',
  '3344': 'El indicador no debe repetirse',
  '3345':
    'Solo corresponde ingresar hasta dos 2 documentos relacionados si uno de los tipos de documentos relacionados es "31", "65", "66", "67", "68" o "69"',
  '3346':
    'Solo corresponde ingresar mas de 1 documento relacionado si uno de los tipos de documentos relacionados es "31", "65", "66", "67", "68" o "69", o "09" (solo guia electronica)',
  '3347': 'No debe consignar los datos del transportista para una operacion de Transporte Privado',
  '3352':
    'Si ingreso un documento relacionado tipo "49" (solo en caso de GRE-Remitente) o "80", debe existir al menos un item con Subpartida nacional',
  '3354': 'No debe ingresar informacion de vehiculo principal',
  '3355':
    'El Numero de Constancia de Inscripcion Vehicular o Certificado de Habilitacion Vehicular o la TUC (fisica o electronica) no cumple con el formato establecido',
  '3357': 'Debe consignar informacion del conductor principal',
  '3364': 'El codigo de ubigeo no corresponde a la direccion del puerto/aeropuerto consignado',
  '3365': 'El codigo de establecimiento anexo del punto de partida no existe o no contiene informacion',
  '3369': 'El codigo de establecimiento anexo del punto de llegada no existe o no contiene informacion',
  '3377': 'La Subpartida nacional no cumple con el formato establecido',
  '3381': 'El RUC del emisor del documento relacionado no corresponde',
  '3388': 'El indicador no cumple con el formato establecido',
  '3392':
    'El Indicador de traslado total de la DAM o la DS solo se consigna cuando el motivo de traslado es 08-Importacion o 09 - Exportacion',
  '3395':
    "Si el motivo de traslado no es 08-Importacion ni 09-Exportacion, no debe consignar el campo 'Peso bruto total de los items seleccionados'",
  '3411': 'El Numero de RUC  asociado al punto de partida/llegada no debe ser el igual al Numero de RUC del remitente',
  '3414': 'El Numero de RUC  asociado al punto de partida/llegada debe ser el igual al Numero de RUC del remitente',
  '3416': 'No corresponde informar codigo de establecimiento del punto de llegada',
  '3417': 'Para el motivo de traslado 05, 06 y 17 el tipo de documento de identidad del destinatario debe ser 6-RUC',
  '3419':
    "Si el Motivo de traslado es 08-Importacion o 09-Exportacion, debe consignar algun 'Numero de contenedor' o el 'Numero de Bultos o Pallets'",
  '3420': 'Solo se pueden consignar como maximo dos contenedores',
  '3421': 'El Numero de contenedor no debe repetirse',
  '3422': 'Si existe Numero de contenedor debe indicarse el Numero de precinto',
  '3423': 'El Numero de precinto no debe repetirse',
  '3427':
    'Si el Motivo de traslado es 08-Importacion o 09-Exportacion y no es un Traslado Total de la DAM o DS, debe consignar la Numeracion de la DAM o DS',
  '3430': 'La Numeracion de la DAM o DS no se encuentra consignado como documento relacionado',
  '3431': 'El Numero de la serie en la DAM o DS no cumple con el formato establecido',
  '3440':
    'No se ha ingresado el tipo Declaracion Aduanera de Mercancias (DAM) o el Declaracion Simplificada (DS)  para el motivo de traslado selecionado',
  '3390': 'El tipo y numero de documento de identidad del subcontratador es el mismo que del Transportista',
  '3413': 'El valor ingresado como Punto de georreferencia no cumple con el formato establecido',
  '3441': 'El numero de documento relacionado al traslado de mercancias no cumple con el formato establecido',
  '3442': 'El Numero de RUC del Proveedor debe coincidir con alguno de los Numero de RUC emisor de los documentos relacionados',
  '3445': 'El tipo de documento relacionado no corresponde para motivo de traslado seleccionado',
  '3446': 'El dato ingresado como unidad de medida no corresponde al valor esperado',
  '3447': 'El tipo de documento de identidad del Proveedor es invalido',
  '3448': 'El tipo y numero de documento de identidad del Remitente no puede ser es el mismo que el Proveedor',
  '3450':
    "Para la modalidad de traslado Privado no debe consignarse el 'Indicador de registro de vehiculos y conductores del transportista'",
  '3451':
    "Para la modalidad de traslado Publico no debe consignarse simultaneamente los indicadores 'Indicador de registro de vehiculos y conductores del transportista' e 'Indicador de traslado en vehiculos de categoria M1 o L'",
  '3452': 'No debe ingresar informacion adicional de vehiculos (registros y/o autorizaciones)',
  '3453': 'No debe ingresar informacion de vehiculos secundarios',
  '3454': 'No debe ingresar informacion adicional de vehiculos secundarios',
  '3455': 'No debe ingresar informacion del conductor principal',
  '3459': 'El dato ingresado como codigo del puerto no corresponde a un valor esperado',
  '3460': 'El dato ingresado como codigo del aeropuerto no corresponde a un valor esperado',
  '4375': 'Corresponde ingresar informacion del Proveedor',
  '4378': 'Para el motivo de traslado debe existir informacion del Comprador',
  '4386': 'La Fecha de entrega de bienes al transportista debe ser mayor o igual a la Fecha de emision del documento',
  '4391': 'El Numero de Registro MTC del transportista no existe o no contiene informacion',
  '4424': 'El XML no contiene el tag o no existe informacion del numero de documento de identidad del subcontratador',
  '4425': 'El XML no contiene el atributo o no existe informacion del tipo de documento de identidad del subcontratador',
  '4426': 'El XML no contiene el atributo o no existe informacion del nombre o razon social del subcontratador',
  '4399':
    'No ha consignado el Numero de Constancia de Inscripcion Vehicular o Certificado de Habilitacion Vehicular o la TUC (fisica o electronica)',
  // observation seen in SUNAT's real CDR (fixtures/sunat/R-20000000001-09-T001-1.xml); not in the catalogue
  '4398': 'El Número de placa no se encuentra en las bases consultadas',
} as const;

/**
 * A code the sandbox can answer with (SUNAT's `cod` / `codError`), e.g. '0154' or '2335': a key of {@link CODES}.
 * @useDeclaredType
 */
export type Code = keyof typeof TEXTS;

/** Each code the sandbox answers with, to its Spanish text as SUNAT sends it (`msg` / `desError`, or the CDR's `cbc:Description`). */
export type CodeTexts = { readonly [code in Code]: string };

/**
 * The error codes the sandbox answers with. Texts of the catalogue codes (0126–0306, 1001–2566, SUNAT's GRE rules
 * 2023–4399) are copied from SUNAT's CodeErrors.xml; the REST-level codes 500–508 and 166 are from SUNAT's REST
 * spec (501) or inferred in its numbering (the others), because no public source lists the REST-level validation
 * codes of the GRE API; 4398 is an observation seen in a real CDR.
 */
export const CODES: CodeTexts = TEXTS;

/** General errors of the seed's annex (Anexo I), word for word and no others: `{cod, msg, exc}` with the HTTP status as `cod`. */
export const GENERAL: Record<number, string> = {
  400: 'Bad Request - El Request no puede ser entendido por el Servidor debido a errores de Sintaxis, El cliente no debe repetir el Request sin modificaciones',
  401: 'Unauthorized - Fallo en la autenticación del Cliente',
  403: 'Forbidden - El Cliente no tiene autorización para acceder al Recurso',
  404: 'Not Found - El Recurso Solicitado no puede ser encontrado',
  405: 'Not Allowed - El Método HTTP utilizado en el Request no es soportado por el Recurso',
  406: 'Not Acceptable - El Recurso no puede responder al Cliente en el Media Type solicitado en el Request',
  415: 'Unsupported Media Type - La Entidad en el Body del Request está en un Media Type que no es soportado por el Recurso',
  422: 'Unprocessable Entity - Se presentaron errores de validacion que impidieron completar el Request',
  500: 'Internal Server Error - Se presento una condicion inesperada que impidio completar el Request',
  503: 'Service Unavailable - El Servidor no está disponible temporalmente o está muy ocupado para responder al Request',
};

export type GeneralStatus = 400 | 401 | 403 | 404 | 405 | 406 | 415 | 422 | 500 | 503;

export function generalError(status: GeneralStatus, exc: string | null = null): { cod: string; msg: string; exc: string | null } {
  return { cod: String(status), msg: GENERAL[status]!, exc };
}

/** The two documented shapes of a 422 body: 'rest' `{cod: 422, errors: [{cod, msg}]}`, 'manual' `{cod: '422', errors: [{codError, desError}]}`. */
export type ErrorShape = 'rest' | 'manual';
export function errorBody(shape: ErrorShape, codes: Code[]): Record<string, unknown> {
  if (shape === 'rest') {
    // SUNAT REST spec: numeric codes, items {cod, msg}
    return { cod: 422, msg: GENERAL[422], exc: null, errors: codes.map((c) => ({ cod: Number(c), msg: CODES[c] })) };
  }
  // the seed (general manual): string codes, items {codError, desError}
  return { cod: '422', msg: GENERAL[422], exc: null, errors: codes.map((c) => ({ codError: c, desError: CODES[c] })) };
}
