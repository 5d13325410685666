# The image the k8s manifests run: one image, the role is chosen by `--role`.
FROM oven/bun:1.4
WORKDIR /app
COPY package.json package-lock.json ./
RUN bun install --production --frozen-lockfile || bun install --production
COPY . .
USER bun
EXPOSE 8080 9464
CMD ["bun", "main.ts"]
