// SUNAT's catalogues as its GRE 2022 stylesheets read them (20, 61, 63, 64, 65 and the indicators): data only.
import type { RelatedDocumentType, ShipmentIndicator, TransferReason } from './guide-codes.js';

/** Catalogue 20 as SUNAT's stylesheets have it (no '19'). */
export const TRANSFER_REASONS: readonly TransferReason[] = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '13', '14', '17', '18'];

const byCode = (list: string): Readonly<Record<string, string>> =>
  Object.fromEntries(list.split(' ').map((e) => e.split(':') as [string, string]));
/** Catalogue 63 (ports) and 64 (airports), code → ubigeo: an import starts, an export ends, at that ubigeo (3364). */
export const PORTS = byCode(
  'PUB:200801 CLL:070101 CON:150119 CHY:150605 CHM:021801 EEN:140113 HCO:150801 HUY:021101 ILQ:180301 IQT:160101 MRI:040701 PAI:200501 ' +
    'PIO:110505 PCL:250101 PUN:210101 SVY:130109 SNX:110304 SUP:150204 TYL:200701 YMS:160201 ZOR:240103',
);
export const AIRPORTS = byCode(
  'AQP:040104 ANS:030201 ATA:020604 AYP:050113 CJA:060108 CHM:021809 CUZ:080108 CHH:010101 CIX:140101 HUU:100101 ILO:180301 IQT:160101 ' +
    'JAE:060802 JJI:220601 JUL:211101 JAU:120430 LIM:070101 MBP:220101 PIO:110506 PIU:200104 PCL:250105 PEM:170101 RIJ:220801 TCQ:230101 ' +
    'TYL:200701 TPP:220901 TIG:100601 TRU:130104 TBP:240101 ATG:250201 YMS:160201',
);

/** Catalogue 65: the units of measure customs uses, the only ones a line may have on reasons 08/09 (3446). */
export const CUSTOMS_UNITS: readonly string[] = [
  '126',
  '12U',
  '2U',
  '2U6',
  'AM',
  'BAL',
  'BID',
  'BLS',
  'BOB',
  'BOT',
  'BRR',
  'CAJ',
  'CIL',
  'CM',
  'CM2',
  'CM3',
  'CON',
  'CRT',
  'FDO',
  'FRC',
  'GAL',
  'GLE',
  'GR',
  'GRU',
  'HL',
  'HOJ',
  'JGS',
  'KG',
  'KG3',
  'KG6',
  'KGA',
  'KI',
  'KI6',
  'KIT',
  'KL6',
  'KL9',
  'KM',
  'KW3',
  'KW6',
  'KWH',
  'L',
  'L 6',
  'LAT',
  'LB',
  'M',
  'M 6',
  'M2',
  'M26',
  'M3',
  'M36',
  'MGA',
  'MGR',
  'ML',
  'MLL',
  'MM',
  'MM2',
  'MM3',
  'MU',
  'MWH',
  'OZ',
  'PAI',
  'PAL',
  'PAQ',
  'PL',
  'PLC',
  'PLG',
  'PS',
  'PS2',
  'PS3',
  'PST',
  'PUL',
  'PZA',
  'QQ',
  'QUT',
  'RAM',
  'RES',
  'ROL',
  'SAC',
  'SET',
  'TAM',
  'TC',
  'TCS',
  'TIR',
  'TL',
  'TLS',
  'TM',
  'TM3',
  'TMS',
  'TUB',
  'U',
  'U 3',
  'U 6',
  'U2',
  'U3',
  'U6',
  'YD',
  'YD2',
];

/** Catalogue 61, column gre-r / gre-t: which related documents each guide type may cite (2692). */
export const RELATED_TYPES_BY_GUIDE: Record<'09' | '31', readonly RelatedDocumentType[]> = {
  '09': ['01', '03', '04', '09', '12', '48', '49', '50', '52', '80'],
  '31': ['01', '03', '04', '09', '12', '31', '48', '50', '52', '80'],
};

/** The indicators each guide type may carry (3388). */
export const INDICATORS_BY_GUIDE: Record<'09' | '31', readonly ShipmentIndicator[]> = {
  '09': [
    'SUNAT_Envio_IndicadorTransbordoProgramado',
    'SUNAT_Envio_IndicadorTrasladoVehiculoM1L',
    'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio',
    'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
    'SUNAT_Envio_IndicadorTrasladoTotalDAMoDS',
    'SUNAT_Envio_IndicadorVehiculoConductoresTransp',
  ],
  '31': [
    'SUNAT_Envio_IndicadorTransbordoProgramado',
    'SUNAT_Envio_IndicadorRetornoVehiculoEnvaseVacio',
    'SUNAT_Envio_IndicadorRetornoVehiculoVacio',
    'SUNAT_Envio_IndicadorTrasporteSubcontratado',
    'SUNAT_Envio_IndicadorPagadorFlete_Remitente',
    'SUNAT_Envio_IndicadorPagadorFlete_Subcontratador',
    'SUNAT_Envio_IndicadorPagadorFlete_Tercero',
    'SUNAT_Envio_IndicadorTrasladoTotal',
  ],
};
