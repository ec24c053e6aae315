/** The Digital Credentials API protocols Tessera answers (OpenID4VP 1.0 Appendix A). */
export const DC_API_PROTOCOLS = ['openid4vp-v1-unsigned', 'openid4vp-v1-signed'] as const;
export type DcApiProtocol = (typeof DC_API_PROTOCOLS)[number];
